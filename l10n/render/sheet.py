"""What the review sheet and the index share: status labels and colours, bars and badges
(drawn by `templates/sheet.html.j2`)."""

from __future__ import annotations

from typing import Any

STATUS_LABELS = {
    "reviewed": "reviewed",
    "draft": "machine draft",
    "fuzzy": "fuzzy",
    "missing": "missing",
}


def hue(confidence: float | None) -> int:
    # Red (0) for the weakest draft up to yellow-green (95): deliberately never the reviewed green.
    if confidence is None:
        return 40
    return round(max(0.0, min(1.0, confidence)) * 95)


def confidence_text(confidence: float | None) -> str:
    return "?" if confidence is None else f"{confidence:.2f}"


def status_class(status: str) -> str:
    return status if status in STATUS_LABELS else "other"


def percent_reviewed(reviewed: int, total: int) -> str:
    return f"{100 * reviewed / total:.0f}% reviewed" if total else "nothing to translate"


def one_line(text: str) -> str:
    return " ".join(text.split())


# What the sheet templates call.
GLOBALS: dict[str, Any] = {"labels": STATUS_LABELS, "hue": hue,
                           "confidence_text": confidence_text, "status_class": status_class}
