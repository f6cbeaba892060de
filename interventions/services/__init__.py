"""The interventions' business logic: `stages` (open, advance, reopen, close, figures),
`records` (what each stage records), `rules` (errors and who may do what)."""
