package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/validate"
	"github.com/byocpack/byocpack/internal/xsdcheck"
)

// A project tells byocpack which rules to silence in its
// sfdx-project.json, under the key the Salesforce CLI's project schema
// reserves for tools ("plugins"), so the list travels with the project,
// is reviewed with it, and sf keeps accepting the file:
//
//	"plugins": {"byocpack": {"disable": ["BYOC-CONNECTED-APP-1GP", "xsd-order"]}}
//
// validate, render, build and package all honour it.
const configKey = "byocpack"

// KnownRules lists every rule ID a problem can carry, sorted: the BYOC
// rules, the content-model rules and the rules of reading a tree.
func KnownRules() []string {
	ids := []string{xsdcheck.RuleSchema, xsdcheck.RuleOrder, RuleTypeInference, RuleNotMetadata, RuleIO, RuleAPIVersion}
	for _, r := range validate.Rules() {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// checkRuleIDs refuses --disable values that name no rule.
func checkRuleIDs(ids []string) error {
	known := KnownRules()
	for _, id := range ids {
		if !slices.Contains(known, id) {
			return &UsageError{Option: "Disable", Value: id, Msg: fmt.Sprintf("names no rule%s; rule IDs are listed in docs/rules.md", suggestRule(id, known))}
		}
	}
	return nil
}

func suggestRule(id string, known []string) string {
	for _, k := range known {
		if strings.EqualFold(k, id) || strings.EqualFold(k, "BYOC-"+id) {
			return fmt.Sprintf(" (did you mean %s?)", k)
		}
	}
	return ""
}

// projectConfig reads the disabled rules of an sfdx-project.json (data,
// shown as file). A malformed byocpack entry is an error problem and an
// unknown rule ID a warning, both on the file.
func projectConfig(data []byte, file string) ([]string, []diag.Problem) {
	if len(data) == 0 {
		return nil, nil
	}
	top, err := sfdx.Top(data, file)
	if err != nil {
		return nil, nil // sfdx.Parse reports a broken project file
	}
	var plugins map[string]json.RawMessage
	if json.Unmarshal(top["plugins"], &plugins) != nil {
		return nil, nil
	}
	raw, ok := plugins[configKey]
	if !ok {
		return nil, nil
	}
	var cfg struct {
		Disable []string `json:"disable"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	bad := func(msg string) []diag.Problem {
		return []diag.Problem{{File: file, Severity: diag.Error, Rule: RuleConfig, Message: msg}}
	}
	if err := dec.Decode(&cfg); err != nil {
		return nil, bad(fmt.Sprintf("plugins.byocpack: %v; write it as {\"disable\": [\"RULE-ID\", ...]}", err))
	}
	known := KnownRules()
	var out []string
	var ps []diag.Problem
	for _, id := range cfg.Disable {
		if !slices.Contains(known, id) {
			ps = append(ps, diag.Problem{File: file, Severity: diag.Warning, Rule: RuleConfig,
				Message: fmt.Sprintf("plugins.byocpack.disable names %q, which is no rule%s, so it silences nothing; rule IDs are listed in docs/rules.md", id, suggestRule(id, known))})
			continue
		}
		out = append(out, id)
	}
	return out, ps
}

// RuleConfig is a problem in byocpack's entry of sfdx-project.json.
const RuleConfig = "config"
