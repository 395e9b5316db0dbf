"""``reader sync``: two or three libraries joined through a local bare repository, one
scripted scenario per merge rule, and the sync flow's promises (errors, retries, commit
messages, a `git pull` by hand)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sync_support import add, bare_repo, converge, join, replicas, run_sync, shared_bytes

from reader.cli import cli
from reader.models import ParsedArticle
from reader.store import Library
from reader.sync.library_state import state_of
from reader.sync.shared_file import dump_shards, shared_folder_for


def git(path: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(path.parent), *args], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def test_a_second_machine_joining_gets_the_union(tmp_path: Path) -> None:
    remote = bare_repo(tmp_path)
    a, b = tmp_path / "a" / "library.json", tmp_path / "b" / "library.json"
    with Library(a) as lib:
        only_a = add(lib, "Only on A", "https://example.org/a")
        add(lib, "On both", "https://example.org/both")
    with Library(b) as lib:
        only_b = add(lib, "Only on B", "https://example.org/b")
        add(lib, "On both", "https://EXAMPLE.org/both/?utm_source=feed")
    assert join(a, remote).sent["added"] == 2
    report = join(b, remote)
    assert report.received["added"] == 1
    run_sync(a)
    for path in (a, b):
        with Library(path) as lib:
            titles = sorted(x.title for x in lib.articles())
            assert titles == ["On both", "Only on A", "Only on B"]
            assert lib.body(only_a) and lib.body(only_b)
    assert shared_bytes(a) == shared_bytes(b)
    ignored = (a.parent / ".gitignore").read_text()
    assert "/*" in ignored and "!/library.shared/" in ignored
    tracked = git(a, "ls-files").split()
    assert "library.json" not in tracked and "library.json.lock" not in tracked
    assert f"library.shared/{only_b[0]}.jsonl" in tracked
    assert f"library.bodies/{only_b}.md" in tracked
    assert "merge=reader-library" in (a.parent / ".gitattributes").read_text()
    assert "merge-library %O %A %B" in git(a, "config", "merge.reader-library.driver")


def test_the_same_text_saved_on_both_machines_becomes_one(tmp_path: Path) -> None:
    _, (a, b) = replicas(tmp_path, 2)
    text = "A letter kept on two machines, word for word the same.\n"
    with Library(a) as lib:
        first = add(lib, "Letter", "https://one.example/letter", text)
        lib.add_tags(first, ["from-a"])
    with Library(b) as lib:
        second = add(lib, "Letter", "https://two.example/letter", text)
        lib.add_tags(second, ["from-b"])
        lib.add_highlight(second, "word for word")
    assert first != second
    converge([a, b])
    for path in (a, b):
        with Library(path) as lib:
            (only,) = lib.articles()
            assert only.id == min(first, second)
            assert only.tags == ["from-a", "from-b"]
            assert [h.article_id for h in lib.highlights()] == [only.id]
            assert lib.body(only.id) == text
    assert shared_bytes(a) == shared_bytes(b)


def test_tags_added_on_either_side_are_kept_and_removed_on_either_are_removed(
    tmp_path: Path,
) -> None:
    _, (a, b) = replicas(tmp_path, 2)
    with Library(a) as lib:
        aid = add(lib, "Tagged", "https://example.org/t")
        lib.add_tags(aid, ["keep", "drop-on-a", "drop-on-b"])
    converge([a, b])
    with Library(a) as lib:
        lib.remove_tags(aid, ["drop-on-a"])
        lib.add_tags(aid, ["new-on-a"])
    with Library(b) as lib:
        lib.remove_tags(aid, ["drop-on-b"])
        lib.add_tags(aid, ["new-on-b"])
    converge([a, b])
    for path in (a, b):
        with Library(path) as lib:
            assert lib.get(aid).tags == ["keep", "new-on-a", "new-on-b"]


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("bookmarked", lambda lib, aid, n: lib.set_bookmarked(aid, n % 2 == 1)),
        ("read", lambda lib, aid, n: lib.set_read(aid, n % 2 == 1)),
        ("title", lambda lib, aid, n: lib.update(aid, title=f"Title {n}")),
        ("position", lambda lib, aid, n: lib.set_position(aid, n / 10)),
    ],
)
def test_a_field_changed_on_one_side_wins_and_on_both_the_later_wins(
    tmp_path: Path, field: str, change
) -> None:
    _, (a, b) = replicas(tmp_path, 2)
    with Library(a) as lib:
        aid = add(lib, "Field", "https://example.org/f")
    converge([a, b])
    with Library(b) as lib:
        change(lib, aid, 1)  # B alone changes it
        expected_one = getattr(lib.get(aid), field)
    with Library(a) as lib:
        lib.add_tags(aid, ["unrelated"])  # A changes something else
    converge([a, b])
    for path in (a, b):
        with Library(path) as lib:
            assert getattr(lib.get(aid), field) == expected_one
    with Library(b) as lib:
        change(lib, aid, 2)  # both change it: A later
    with Library(a) as lib:
        change(lib, aid, 3)
        expected_later = getattr(lib.get(aid), field)
    run_sync(a)  # the later change is pushed first, then B merges
    converge([a, b])
    for path in (a, b):
        with Library(path) as lib:
            assert getattr(lib.get(aid), field) == expected_later


def test_highlights_union_later_note_and_deletion_of_an_untouched_one(tmp_path: Path) -> None:
    _, (a, b) = replicas(tmp_path, 2)
    with Library(a) as lib:
        aid = add(lib, "Highlighted", "https://example.org/h", "One. Two. Three. Four.\n")
        shared_note = lib.add_highlight(aid, "One.").id
        doomed = lib.add_highlight(aid, "Two.").id
    converge([a, b])
    with Library(a) as lib:
        from_a = lib.add_highlight(aid, "Three.").id
        lib.set_highlight_note(shared_note, "first thought")
        lib.remove_highlight(doomed)
    with Library(b) as lib:
        from_b = lib.add_highlight(aid, "Four.").id
        lib.set_highlight_note(shared_note, "second thought")  # the later edit
    converge([a, b])
    for path in (a, b):
        with Library(path) as lib:
            found = {h.id: h for h in lib.highlights(aid)}
            assert set(found) == {shared_note, from_a, from_b}
            assert found[shared_note].note == "second thought"
            assert lib.get(aid).highlight_count == 3


def test_an_article_deleted_on_one_side_and_changed_on_the_other_is_deleted(
    tmp_path: Path,
) -> None:
    _, (a, b) = replicas(tmp_path, 2)
    with Library(a) as lib:
        tagged = add(lib, "Tagged there", "https://example.org/1")
        untouched = add(lib, "Untouched there", "https://example.org/2")
    converge([a, b])
    with Library(a) as lib:
        lib.remove(tagged)
        lib.remove(untouched)
    with Library(b) as lib:
        lib.add_tags(tagged, ["late"])
    converge([a, b])
    for path in (a, b):
        with Library(path) as lib:
            assert len(lib) == 0
            assert not lib.bodies.path_for(tagged).exists()


def test_an_article_deleted_on_one_side_and_highlighted_on_the_other_is_kept(
    tmp_path: Path,
) -> None:
    _, (a, b) = replicas(tmp_path, 2)
    with Library(a) as lib:
        aid = add(lib, "Worth keeping", "https://example.org/k", "A line worth keeping.\n")
        old = lib.add_highlight(aid, "A line")
    converge([a, b])
    with Library(b) as lib:
        new = lib.add_highlight(aid, "worth keeping", note="why")
    run_sync(b)
    with Library(a) as lib:
        lib.remove(aid)
    report = run_sync(a)
    assert report.kept == ["Worth keeping"]
    assert "kept 1 article" in report.summary()
    converge([a, b])
    for path in (a, b):
        with Library(path) as lib:
            assert lib.get(aid).title == "Worth keeping"
            assert {h.id for h in lib.highlights(aid)} == {old.id, new.id}
            assert lib.body(aid) == "A line worth keeping.\n"


def test_machine_settings_stay_and_feeds_with_what_they_saw_travel(tmp_path: Path) -> None:
    _, (a, b) = replicas(tmp_path, 2)
    with Library(a) as lib:
        lib.set_setting("theme", "paper")
        lib.put_feed("f1", {"url": "https://example.org/feed", "title": "Feed", "seen": ["x"]})
    with Library(b) as lib:
        lib.set_setting("theme", "dark")
    converge([a, b])
    with Library(b) as lib:
        assert lib.get_setting("theme") == "dark"
        (feed,) = lib.feeds()
        assert feed["seen"] == ["x"] and feed["title"] == "Feed"
        lib.put_feed("f1", {**feed, "seen": ["x", "y"]})
    with Library(a) as lib:
        lib.put_feed("f1", {**lib.feeds()[0], "seen": ["x", "z"]})
    converge([a, b])
    for path, theme in ((a, "paper"), (b, "dark")):
        with Library(path) as lib:
            assert lib.get_setting("theme") == theme
            assert sorted(lib.feeds()[0]["seen"]) == ["x", "y", "z"]


def test_a_body_fetched_on_one_machine_wins_over_none(tmp_path: Path) -> None:
    _, (a, b) = replicas(tmp_path, 2)
    with Library(a) as lib:
        parsed = ParsedArticle(title="Later", markdown="", url="https://example.org/later")
        aid = lib.add_parsed(parsed, unfetched=True).article.id
    converge([a, b])
    with Library(b) as lib:
        assert lib.get(aid).unfetched and lib.body(aid) is None
        lib.set_body(aid, ParsedArticle(title="Later", markdown="Fetched at last.\n"))
    with Library(a) as lib:
        lib.set_bookmarked(aid, True)
    converge([a, b])
    for path in (a, b):
        with Library(path) as lib:
            article = lib.get(aid)
            assert not article.unfetched and article.bookmarked
            assert lib.body(aid) == "Fetched at last.\n"


def test_three_machines_converge(tmp_path: Path) -> None:
    _, paths = replicas(tmp_path, 3)
    for n, path in enumerate(paths):
        with Library(path) as lib:
            aid = add(lib, f"From {n}", f"https://example.org/{n}")
            lib.add_tags(aid, [f"m{n}"])
    converge(paths)
    assert shared_bytes(paths[0]) == shared_bytes(paths[1]) == shared_bytes(paths[2])
    with Library(paths[2]) as lib:
        assert sorted(a.title for a in lib.articles()) == ["From 0", "From 1", "From 2"]


def test_the_commit_message_counts_the_changes(tmp_path: Path) -> None:
    _, (a,) = replicas(tmp_path, 1)
    with Library(a) as lib:
        ids = [add(lib, f"Article {n}", f"https://example.org/{n}") for n in range(3)]
        lib.add_tags(ids[0], ["x"])
    run_sync(a)
    with Library(a) as lib:
        lib.add_tags(ids[1], ["y"])
        lib.add_tags(ids[2], ["z"])
        lib.add_highlight(ids[0], "Article 0")
        add(lib, "Fourth", "https://example.org/4")
    run_sync(a)
    assert git(a, "log", "-1", "--format=%s") == "1 added, 2 tagged, 1 highlight"
    assert run_sync(a).sent == {}  # nothing new: no commit
    assert git(a, "log", "-1", "--format=%s") == "1 added, 2 tagged, 1 highlight"


def test_a_sync_retries_when_the_remote_moved_meanwhile(tmp_path: Path) -> None:
    _, (a, b) = replicas(tmp_path, 2)
    with Library(a) as lib:
        add(lib, "From A", "https://example.org/a")
    with Library(b) as lib:
        add(lib, "From B", "https://example.org/b")
    # B syncs between A's fetch and A's push (a pre-push hook of A's, run once).
    hook = a.parent / ".git" / "hooks" / "pre-push"
    flag = tmp_path / "b-synced"
    hook.write_text(
        "#!/bin/sh\n"
        f"[ -e {flag} ] && exit 0\n"
        f"touch {flag}\n"
        f"{sys.executable} -m reader --db {b} sync >/dev/null\n"
    )
    hook.chmod(0o755)
    report = run_sync(a)
    assert flag.exists() and report.attempts == 2 and report.pushed
    converge([a, b])
    with Library(b) as lib:
        assert sorted(x.title for x in lib.articles()) == ["From A", "From B"]


def test_a_git_pull_by_hand_merges_with_the_driver_and_sync_loads_it(tmp_path: Path) -> None:
    _, (a, b) = replicas(tmp_path, 2)
    with Library(a) as lib:
        aid = add(lib, "Shared", "https://example.org/s")
    converge([a, b])
    with Library(a) as lib:
        lib.add_tags(aid, ["from-a"])
    run_sync(a)
    with Library(b) as lib:
        lib.add_tags(aid, ["from-b"])
    run_sync(b)  # B now holds both
    with Library(a) as lib:
        lib.add_tags(aid, ["again-a"])
    # A commits by hand, then pulls by hand: both sides changed the shared file.
    with Library(a) as lib:
        for name, data in dump_shards(state_of(lib)).items():
            (shared_folder_for(a) / name).write_bytes(data)
    git(a, "commit", "-q", "-am", "by hand")
    git(a, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    text = shared_bytes(a).decode()
    assert "<<<<<<<" not in text and "again-a" in text and "from-b" in text
    run_sync(a)
    with Library(a) as lib:
        assert lib.get(aid).tags == ["again-a", "from-a", "from-b"]


def cli_run(db: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_the_commands_say_what_they_did(tmp_path: Path) -> None:
    remote = bare_repo(tmp_path)
    a = tmp_path / "a" / "library.json"
    with Library(a) as lib:
        add(lib, "One", "https://example.org/1")
    code, out, err = cli_run(a, "sync", "status")
    assert code == 1 and "not set up for sync" in err and "sync init" in err
    code, out, err = cli_run(a, "sync", "init", str(remote))
    assert code == 0 and out.strip() == "synced: sent 1 added; received no changes", err
    with Library(a) as lib:
        lib.set_read(lib.articles()[0].id, True)
    code, out, _ = cli_run(a, "sync", "status")
    assert "to send: 1 read state in the library" in out
    code, out, _ = cli_run(a, "sync")
    assert code == 0 and out.startswith("synced: sent 1 read state")
    code, out, _ = cli_run(a, "sync", "status")
    assert "in sync" in out


def test_errors_are_one_line_and_leave_the_library_as_it_was(tmp_path: Path) -> None:
    a = tmp_path / "a" / "library.json"
    with Library(a) as lib:
        add(lib, "One", "https://example.org/1")
    before = a.read_bytes()
    code, _, err = cli_run(a, "sync", "init", str(tmp_path / "nowhere.git"))
    assert code == 1 and err.startswith("reader: cannot reach the remote")
    assert len(err.strip().splitlines()) == 1
    code, _, err = cli_run(
        a, "sync", "init", str(bare_repo(tmp_path)), env={"PATH": "/nonexistent"}
    )
    assert code == 1 and "git command" in err and len(err.strip().splitlines()) == 1
    assert a.read_bytes() == before


def test_a_damaged_shared_file_from_the_remote_merges_nothing(tmp_path: Path) -> None:
    remote, (a, b) = replicas(tmp_path, 2)
    with Library(a) as lib:
        add(lib, "Kept", "https://example.org/k")
    converge([a, b])
    # another machine pushes a shared file with a line that is no record
    with (shared_folder_for(a) / "0.jsonl").open("ab") as handle:
        handle.write(b"{not json\n")
    git(a, "commit", "-q", "-am", "damaged elsewhere")
    git(a, "push", "-q", "origin", "main")
    with Library(b) as lib:
        lib.set_bookmarked(lib.articles()[0].id, True)
    code, _, err = cli_run(b, "sync")
    assert code == 1 and "is not a library record" in err and len(err.strip().splitlines()) == 1
    with Library(b) as lib:
        assert lib.articles()[0].bookmarked and len(lib) == 1


def test_a_one_article_change_is_one_line_of_one_shared_file(tmp_path: Path) -> None:
    _, (a,) = replicas(tmp_path, 1)
    with Library(a) as lib:
        ids = [add(lib, f"Article {n}", f"https://example.org/{n}") for n in range(40)]
    run_sync(a)
    with Library(a) as lib:
        lib.set_bookmarked(ids[7], True)
    run_sync(a)
    changed = git(a, "show", "--numstat", "--format=", "HEAD").splitlines()
    assert changed == [f"1\t1\tlibrary.shared/{ids[7][0]}.jsonl"]


def test_sync_init_on_a_new_machine_makes_the_library_and_fills_it(tmp_path: Path) -> None:
    remote = bare_repo(tmp_path)
    a = tmp_path / "a" / "library.json"
    with Library(a) as lib:
        add(lib, "Already there", "https://example.org/there")
    join(a, remote)
    fresh = tmp_path / "new-machine" / "library.json"
    code, out, err = cli_run(fresh, "sync", "init", str(remote))
    assert code == 0, err
    assert "received 1 added" in out
    with Library(fresh) as lib:
        assert [x.title for x in lib.articles()] == ["Already there"]
    code, _, err = cli_run(tmp_path / "typo" / "library.json", "sync")
    assert code == 1 and "no library there" in err  # plain sync never makes one
