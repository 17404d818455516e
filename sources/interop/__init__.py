"""What leaves the archive for other tools: the API, OAI-PMH, open data, citations."""
