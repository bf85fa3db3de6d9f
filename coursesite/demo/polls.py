"""The in-class polls of the CIS6200 demo course, with how the class answered them."""

from __future__ import annotations

# In-class polls. The closed ones were asked in past sessions and answered by
# most of the class; the open one is in the last session, with a handful of
# answers so far and its counts shown live. Each poll is found again by its
# question, so its text is its key.
POLL_SEED = 6200
PollRow = dict[str, str | bool | int | tuple]

#: One poll per row, in the order they were asked: the session (by title), the
#: question, its kind, its choices with weights (for a single choice poll, how
#: often each is picked relative to the others; for a multiple choice poll, the
#: chance in percent that each is ticked) or, for a short-text poll, the answers
#: given; ``answers`` is how many students answered, ``state`` where the poll
#: stands now.
POLLS: tuple[PollRow, ...] = (
    {
        "session": "Scaling laws",
        "question": "Given ten times the compute, where should a compute-optimal run spend it?",
        "kind": "single",
        "choices": (
            ("Mostly on a bigger model", 6),
            ("Mostly on more training tokens", 3),
            ("Roughly evenly on both", 8),
            ("On more epochs over the same data", 1),
        ),
        "anonymous": False,
        "results": "after_close",
        "answers": 18,
        "state": "closed",
    },
    {
        "session": "Data parallelism and collective communication",
        "question": "Which collective operations does PyTorch DDP use? Choose all that apply.",
        "kind": "multiple",
        "choices": (
            ("all-reduce", 95),
            ("broadcast", 45),
            ("all-gather", 30),
            ("reduce-scatter", 25),
        ),
        "anonymous": False,
        "results": "after_close",
        "answers": 17,
        "state": "closed",
    },
    {
        "session": "Mixed precision and gradient compression",
        "question": "Halfway through the term: how is the pace of the course?",
        "kind": "single",
        "choices": (
            ("Too slow", 1),
            ("About right", 10),
            ("A bit fast", 6),
            ("Much too fast", 1),
        ),
        "anonymous": True,
        "results": "after_close",
        "answers": 19,
        "state": "closed",
    },
    {
        "session": "Efficient attention mechanisms",
        "question": "In a few words: what limits context length most in practice?",
        "kind": "text",
        "choices": (
            "Memory for the attention scores",
            "The KV cache at inference time",
            "Compute that grows with the square of the length",
            "Too little long-document training data",
            "Memory bandwidth rather than FLOPs",
            "Position encodings that do not extrapolate",
            "Activation memory during training",
            "Evaluating whether the model really uses the long context",
        ),
        "anonymous": False,
        "results": "after_close",
        "answers": 16,
        "state": "closed",
    },
    {
        "session": "Final project presentations II",
        "question": "Which technique from this course are you most likely to use next?",
        "kind": "single",
        "choices": (
            ("Sharded data parallelism (ZeRO or FSDP)", 4),
            ("Mixed precision training", 3),
            ("Parameter-efficient fine-tuning", 5),
            ("Quantization for serving", 3),
        ),
        "anonymous": False,
        "results": "live",
        "answers": 6,
        "state": "open",
    },
)
