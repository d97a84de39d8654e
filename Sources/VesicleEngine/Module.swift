// Module VesicleEngine: see DESIGN.md.
