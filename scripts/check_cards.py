"""Runs the NumPy forward pass of every model card (its "Using the weights elsewhere" section) on the safetensors
file next to it and checks that it reproduces the card's test accuracy (within 0.1 point: float sums in another
order may flip a few of the 10,000 test digits).

Usage: python3 scripts/check_cards.py MNIST_DIR Zoo/*.md     (scripts/check-cards sets up the venv and runs this)
Exits 1 if a card has no forward pass, its code fails, or the accuracy differs.
"""
import pathlib
import re
import subprocess
import sys


def check(card: pathlib.Path, mnist: str) -> bool:
    text = card.read_text()
    recorded = re.search(r"^test-accuracy: ([0-9.]+)$", text, re.M)
    code = re.search(r"## Using the weights elsewhere.*?```python\n(.*?)```", text, re.S)
    if not recorded or not code:
        print(f"{card}: no test-accuracy line or no NumPy forward pass")
        return False
    model = card.with_suffix(".safetensors")
    run = subprocess.run([sys.executable, "-", str(model), mnist], input=code.group(1), text=True,
                         capture_output=True)
    measured = re.search(r"accuracy ([0-9.]+)", run.stdout)
    if run.returncode != 0 or not measured:
        print(f"{card}: the forward pass failed:\n{run.stderr}")
        return False
    ok = abs(float(measured.group(1)) - float(recorded.group(1))) <= 0.001
    print(f"{card}: NumPy {float(measured.group(1)):.4f}, card {float(recorded.group(1)):.4f}"
          + ("" if ok else "  MISMATCH"))
    return ok


if __name__ == "__main__":
    results = [check(pathlib.Path(card), sys.argv[1]) for card in sys.argv[2:] if not card.endswith("README.md")]
    sys.exit(0 if results and all(results) else 1)
