"""Import of people lists from CSV and XLSX files, and export of the registry to XLSX.

- `tables`: bytes to rows of cells (format, encoding, separator), or a clear refusal;
- `columns`: the Russian column names schools use, the header row, the value parsers;
- `plan`: what an import would do, row by row, judged by the people validators;
- `services`: the import job from upload to result, written in one transaction;
- `export`: the registry list to XLSX, safe against formula injection.
"""
