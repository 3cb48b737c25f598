"""What the console and reports show about an event: overview and progress figures."""
