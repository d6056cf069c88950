"""Run folders on disk: their layout (`runs`), atomic checkpoint sets (`checkpoint`), who
trains a run and how it ended (`run_status`), atomic file writes (`fileio`), names given to
a generator's discovered directions (`direction_names`).
"""
