"""Login, logout, lockout, idle timeout and password change."""
