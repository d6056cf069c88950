"""The server's jobs: the pool of trainings and comparisons every browser shares (`pool`, the
`Job` protocol), owner and viewer links (`sharing`), the finished runs as a list
(`run_list`), and the pool on a Ray cluster (`ray_backend`, `ray_cluster`, `ray_actor`).
"""
