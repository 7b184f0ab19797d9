"""Roster imports from CSV and XLSX files.

`reading` streams a file's rows under limits, `checking` maps columns and lists every row's
problems, `jobs` carries a file from upload through reading, mapping and checking to the
import, and `writing` upserts the checked rows.
"""
