"""Reading CSV/Excel sheets with file:row:column positions — shared by every importer (no database)."""
