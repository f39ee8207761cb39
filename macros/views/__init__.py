"""One module per page family; each function takes the Plan and the Page and returns page Markdown."""
