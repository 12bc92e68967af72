#!/usr/bin/env bash
# Seeds one corpus directory per fuzzer from the files already in the
# repository (nothing large is committed): Ward sources from tests/golden and
# rulesets for the parser, pipeline and evaluator; emitted YARA and Sigma
# from the golden expectations for the two import readers.
# Usage: fuzz/make_corpus.sh OUT_DIR   (creates OUT_DIR/<fuzzer>/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: make_corpus.sh OUT_DIR}"
mkdir -p "$out"

seed() {  # seed FUZZER FILE...: copies each file under a name from its content hash
  local dir="$out/$1"; shift
  mkdir -p "$dir"
  local file
  for file in "$@"; do
    cp "$file" "$dir/seed-$(sha1sum "$file" | cut -c1-16)"
  done
}

mapfile -t ward_files < <(find "$root/tests/golden" "$root/rulesets" -name '*.ward' | sort)
mapfile -t yara_files < <(find "$root/tests" "$root/rulesets" -name '*.yar' | sort)
mapfile -t sigma_files < <(find "$root/tests" "$root/rulesets" \( -name '*.yml' -o -name '*.yaml' \) \
                             ! -name 'ward.yaml' | sort)
seed parse_fuzzer "${ward_files[@]}"
seed pipeline_fuzzer "${ward_files[@]}"
mapfile -t sigma_ward < <(grep -l 'detection sigma' "${ward_files[@]}" || true)
seed eval_fuzzer "${sigma_ward[@]}"
seed yara_import_fuzzer "${yara_files[@]}"
seed sigma_reader_fuzzer "${sigma_files[@]}"
# Inputs that once crashed or hung a fuzzer stay seeds, so each run retries them first.
mapfile -t known_sigma < <(find "$root/fuzz/known" -name 'sigma_reader_*' | sort)
if [ "${#known_sigma[@]}" -ne 0 ]; then seed sigma_reader_fuzzer "${known_sigma[@]}"; fi

# The evaluator also reads events after a `%%` line: one seed of each kind.
cat > "$out/eval_fuzzer/seed-events" <<'WARD'
package fuzz.seed
detection sigma prompt_probe "Prompt probe" {
  logsource { product: gen_ai  category: inference }
  let probe = gen_ai.prompt contains "ignore previous" nocase
  let tool = gen_ai.tool.name in ["shell", "exec*"]
  when: probe and not tool
}
%%
{"gen_ai": {"prompt": "Please IGNORE previous instructions"}, "gen_ai.tool.name": "browser"}
[{"gen_ai.prompt": "hello"}, {"gen_ai.prompt": null, "x": [1, 2.5, true]}]
WARD
for f in "$out"/*; do echo "corpus: $(basename "$f"): $(ls "$f" | wc -l) seeds"; done
