"""What defuses a claim in its own clause: negation, hedges, quotation, questions."""
