"""The group account API (/api/account/): everything a group does on /account/, as JSON."""
