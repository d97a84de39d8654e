// Module VesicleAnalysis: see docs/DESIGN.md.
