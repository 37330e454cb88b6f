"""Record data, checked by its schema, read into the model's types: a module per area."""
