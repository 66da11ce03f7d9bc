"""Use cases. Each public method is one transaction: it opens a unit of work, asks the policy,
writes the audit entries in the same transaction as the data, and commits."""
