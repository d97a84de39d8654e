// Module VesicleIO: see DESIGN.md.
