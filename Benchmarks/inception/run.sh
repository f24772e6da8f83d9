#!/usr/bin/env bash
# Side-by-side benchmark of the small Inception network: zoo (Swift, OpenBLAS) against the identical PyTorch
# network, in one run on the same machine. Prints both JSON lines and the ratios (zoo / PyTorch).
#
#   Benchmarks/inception/run.sh [--images N] [--repeats N] [--batch-size N] [--train-size N --epochs N]
#
# Needs ZOO_DATA (the folder holding mnist/) or --data-dir. Makes its own venv (Benchmarks/inception/.venv)
# with torch==2.13.0 (CPU wheel) on first use. Both sides use 2 threads.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data_dir="${ZOO_DATA:-}"
arguments=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --data-dir) data_dir="$2"; shift 2 ;;
        *) arguments+=("$1"); shift ;;
    esac
done
if [[ -z "$data_dir" ]]; then
    echo "error: set ZOO_DATA or pass --data-dir <folder holding mnist/>" >&2
    exit 1
fi

if [[ ! -x "$here/.venv/bin/python" ]]; then
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install --quiet torch==2.13.0
fi
(cd "$root" && swift build -c release --product zoo-bench >&2)

# Both processes: let glibc keep freed memory instead of returning it to the kernel and faulting it back in on
# the next batch (worth ~8% CPU for zoo, whose tensors are fresh allocations each batch).
export GLIBC_TUNABLES="glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=1073741824"

zoo_json="$("$root/.build/release/zoo-bench" inception --data-dir "$data_dir" "${arguments[@]}")"
torch_json="$("$here/.venv/bin/python" "$here/pytorch_inception.py" --data-dir "$data_dir" --threads 2 \
    "${arguments[@]}")"
echo "$zoo_json"
echo "$torch_json"
python3 - "$zoo_json" "$torch_json" <<'PYTHON'
import json, sys
zoo, torch = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"training throughput: zoo {zoo['train_images_per_second']:.0f} img/s, "
      f"PyTorch {torch['train_images_per_second']:.0f} img/s: "
      f"{zoo['train_images_per_second'] / torch['train_images_per_second']:.2f}x")
print(f"training CPU time (all threads) per image: zoo {zoo['train_cpu_ms_per_image']:.2f} ms, "
      f"PyTorch {torch['train_cpu_ms_per_image']:.2f} ms: "
      f"{torch['train_cpu_ms_per_image'] / zoo['train_cpu_ms_per_image']:.2f}x less for zoo")
print(f"single-digit inference: zoo {zoo['inference_ms_per_digit']:.3f} ms, "
      f"PyTorch {torch['inference_ms_per_digit']:.3f} ms: "
      f"{torch['inference_ms_per_digit'] / zoo['inference_ms_per_digit']:.2f}x faster")
if "test_accuracy" in zoo and "test_accuracy" in torch:
    print(f"test accuracy: zoo {zoo['test_accuracy']:.4f}, PyTorch {torch['test_accuracy']:.4f}")
print(f"OpenBLAS core: {zoo['openblas_core']}; parameters: zoo {zoo['parameters']}, PyTorch {torch['parameters']}")
PYTHON
