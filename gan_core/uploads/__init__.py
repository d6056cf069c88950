"""Reading untrusted files before anything is spent on them: a zip judged by its central
directory (`zip_directory`: declared sizes, inflation, bounded JSON entries) and pure-Python
work on an upload in a worker process with a time and a memory limit (`bounded_worker`), so
that one browser's file holds neither another session's page nor a training.
"""
