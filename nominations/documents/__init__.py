"""Document renderers: plain data in (``data.py``), DOCX or PDF bytes out.

Quyết định (``decision``), Tờ trình (``submission``), Biên bản
(``minutes``) and certificates (``certificates``), in the layout of
Decree 30/2020/NĐ-CP. Nothing here reads the database; the decision
workflow builds the data objects and stores the bytes.
"""
