"""Partnership views, by feature: the list and feed (``browse``), proposing (``propose``),
one proposal's page and edit form (``proposal``), and the workflow's POST steps
(``workflow``)."""
