// Module VesicleDSL: see DESIGN.md.
