"""Documents in the format of Chinese government documents (党政机关公文格式, GB/T 9704-2012), for every package.

A small library below the capability packages (like ``tabular/``): the fonts of each role and their Noto CJK
fallbacks, the A4 page with its type area and styles, numbered headings 一、（一）1．, the ``— n —`` page numbers,
tables across the type area, Chinese numerals, and reproducible .docx/.xlsx bytes. The task bulletins and the
monitoring and evaluation reports both write through it, so a commission's documents look alike.
"""
