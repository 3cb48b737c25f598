"""The café itself: events, joining, seats and rotation, rounds, hosts, ideas, the live state, voting and merging."""
