"""GAN Hacks Lab: train a DCGAN in the browser and switch the classic training hacks live.

Streamlit runs this file as `__main__` at every rerun. Everything happens in `main()`, under
the `__name__` guard, because a worker process of gan_core.uploads.bounded_worker imports the
main script again as `__mp_main__` (multiprocessing's preparation of a new process, which
reads `sys.modules["__main__"]`, and Streamlit puts this file there): with the imports at the
top, each upload's worker imported TensorFlow, about 6 CPU-seconds, and thirty students'
uploads took a whole core from the trainings (measured in the class simulation).
"""


def main() -> None:
    """The app: the process-wide set-up, then the menu of pages for this browser's seat."""
    import streamlit as st

    from gan_core.nets.tensorflow_runtime import import_tensorflow_once
    from ui.keras_guard import keep_keras_state
    from ui.session import current_seat, keep_server_log, warm_default_step

    keep_server_log()
    import_tensorflow_once()
    keep_keras_state()
    warm_default_step()  # the default's step is traced before the first Start asks for it

    st.set_page_config(page_title="GAN Hacks Lab", page_icon=":material/science:", layout="wide")
    # The progress bar's eased width transition replays at every status refresh (each 2 s while
    # training): with it, a chromium tab on the server's two cores spent ~0.02 cores more (measured).
    st.html("<style>[data-testid='stProgress'] *{transition:none !important;animation:none !important}</style>")

    # The pages live in app_pages/, not pages/: with a pages/ folder, a browser whose first request
    # is a page's address (/playground, a bookmark or a refresh) got Streamlit's old folder-based
    # menu and ran that file without this script.
    pages = [
        st.Page("app_pages/train.py", title="Train", icon=":material/model_training:", default=True),
        st.Page("app_pages/latent_explorer.py", title="Latent explorer", icon=":material/explore:"),
        st.Page("app_pages/compare.py", title="Compare", icon=":material/compare:"),
        st.Page("app_pages/runs.py", title="Runs", icon=":material/history:"),
        st.Page("app_pages/hacks_guide.py", title="Hacks guide", icon=":material/menu_book:"),
        st.Page("app_pages/lesson.py", title="Lesson", icon=":material/school:"),
        st.Page("app_pages/playground.py", title="2D playground", icon=":material/scatter_plot:"),
    ]

    # The Class page is in the menu of the teacher's browser only (and checks the seat itself).
    class_page = st.Page("app_pages/class_room.py", title="Class", icon=":material/groups:")
    seat = current_seat()  # before any page: sets this browser's seat cookie on its first visit
    if st.session_state.get("teacher_refused"):
        st.toast(st.session_state.pop("teacher_refused"))
    st.navigation(pages + ([class_page] if seat.teacher else [])).run()


if __name__ == "__main__":
    main()
