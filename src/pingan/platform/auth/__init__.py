"""Log-in: passwords, web sessions and API keys checked and issued; users created and managed."""
