"""DHIS2 data exchange: dataValueSets (JSON, CSV) and ADX (XML) in and out, through a mapping file."""
