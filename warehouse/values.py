"""How the warehouse stores a figure."""

# Exact decimals: amounts such as 59237.2449 (万元) must come back as printed.
VALUE_TYPE = "DECIMAL(24, 6)"
