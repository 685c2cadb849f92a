"""The REST API and its web page (``stance serve``)."""
