"""The pages: one module per flow for its steps (``dossier``, ``council``, ``decision``, read from
``workflow.steps``), the pages around them (``*_pages``), and the rest."""
