"""The observatory: member lists imported, linked to people across networks, counted, charted and published (issue 16)."""
