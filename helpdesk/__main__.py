"""`python -m helpdesk …`: the same command as the `helpdesk` console script."""
from helpdesk.cli import main

main()
