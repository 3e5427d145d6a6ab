"""Sync through git: a team's layers and curation decisions, the registry, the claim threads and their stories,
as files in a git repository every library pulls from and pushes to, merged record by record; imports `stories`,
the store facade and the annotation modules below it (`layers`, `merge_input`, `merge`, `threads`), not `tui`.

`annotations.sync.engine` has the commands (`sync`, `status`, `resolve`); what a library writes is its
`annotations.sync.scope`, the merged files are read back in by `annotations.sync.arrive` (the curation decisions
checked and brought in by `annotations.sync.decision_records`); the files and the 3-way merge of records are in
`annotations.sync.records` (a claim thread both sides changed is joined by `annotations.sync.thread_join`, with
`annotations.merge`'s rules), the git merge driver in `annotations.sync.driver`, the `git` command in
`annotations.sync.git`, what a sync says (its report, the status, conflicts in words) in `annotations.sync.report`.
Conflicts are kept in the library (`Store.sync`) and in the repository's `conflicts.jsonl` until someone resolves
them. Nothing is imported here: git runs the merge driver as a process of its own, which should start fast (it
imports the thread rules only for a thread to join).
"""
