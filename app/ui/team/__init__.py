"""The team at a shared workstation: signing in (PIN or badge), switching user, locking when idle."""
