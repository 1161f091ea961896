"""Stream wiring: the Faust app, its topics, tables and agents. Each agent calls ``pipeline``."""
