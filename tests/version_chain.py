"""A story and its updates, as Reuters files them, for the tests of versions: the port strike, UPDATE 2 and 3."""

from __future__ import annotations

from pathlib import Path

HEADLINE = "Dock workers strike at Portvale over pay"
LEDE = "Dock workers at Portvale walked out on Monday over pay, halting container traffic, the union said."
QUOTE = '"We will not go back until the offer is fair," union leader Jan Vries told reporters.'
CARGO = "The port handles about 440 million tonnes of cargo a year."
SHIPS = "Shipping lines said they would divert vessels to Antwerp if the strike lasted beyond Wednesday."
TALKS = "Talks with the port authority are set to resume on Thursday."
NEW_TOP = "Talks to end the strike collapsed on Tuesday evening, the port authority said."

#: (headline tag, paragraphs after the dateline's): the original, "UPDATE 2-" and "UPDATE 3-".
CHAIN = {
    1: ("", [LEDE, QUOTE, CARGO, SHIPS, TALKS]),
    # UPDATE 2: a figure corrected, the last paragraph moved up
    3: ("UPDATE 2-", [LEDE, QUOTE, TALKS, CARGO.replace("440", "470"), SHIPS]),
    # UPDATE 3: a paragraph on top, the quote reworded, the shipping paragraph deleted
    4: ("UPDATE 3-", [NEW_TOP, LEDE, QUOTE.replace("until the offer is fair", "without a fair offer"), TALKS,
                      CARGO.replace("440", "470")]),
}  # fmt: skip


def version_text(version: int) -> str:
    """The file of the chain's `version` (1, 3 or 4: the wire's numbers of the original, UPDATE 2 and UPDATE 3)."""
    tag, (first, *rest) = CHAIN[version]
    return "\n\n".join([f"{tag}{HEADLINE}", f"PORTVALE, June 1 (Reuters) - {first}", *rest]) + "\n"


def write_versions(folder: Path, *versions: int) -> list[Path]:
    """The chain's `versions` as files in `folder`, in that order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in versions:
        path = folder / f"port-strike-{n}.txt"
        path.write_text(version_text(n), encoding="utf-8")
        paths.append(path)
    return paths
