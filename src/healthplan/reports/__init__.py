"""Monitoring and evaluation reports (年度监测报告, 中期/末期评估报告) as Word, Excel, HTML and JSON.

``load_inputs`` evaluates the plan (and each county) for the report's year, ``build_report`` writes the text,
tables and charts from those results into a :class:`~healthplan.reports.model.Report`, and ``write_report``
renders it in the format the file name asks for.
"""
