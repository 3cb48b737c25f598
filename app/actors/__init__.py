"""The register of local actors (associations, institutions, experts) and their personal links:
the staff pages in `routes`, the actor's own page at /a/<token> in `link_routes`."""
