// placeholder: filled by its own module
