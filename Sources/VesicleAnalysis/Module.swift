// Module VesicleAnalysis: see DESIGN.md.
