"""A/B comparisons: two configurations trained interleaved from the same start (`job`,
`arm`), the pair from a guide card or typed lines (`setup`), and the one-line verdict
(`verdict`).
"""
