// Module VesicleSynapses: see DESIGN.md.
