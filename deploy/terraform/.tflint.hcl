# tflint for every root and module (scripts/infra-test.sh runs it with
# --recursive). The AWS ruleset is built from source and installed into
# TFLINT_PLUGIN_DIR by the script, hence no source/version here.
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
}

rule "terraform_documented_variables" {
  enabled = true
}

rule "terraform_documented_outputs" {
  enabled = true
}

rule "terraform_naming_convention" {
  enabled = true
}
