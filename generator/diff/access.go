package diff

import (
	"fmt"
	"github.com/byocpack/byocpack/generator/problem"
	"slices"
	"strconv"
	"strings"

	"github.com/byocpack/byocpack/internal/inspect"
)

// Rule IDs of what widens an OAuth app's access (docs/review.md).
const (
	RuleScopeAdded     = "DIFF-SCOPE-ADDED"
	RuleSelfAuthorized = "DIFF-SELF-AUTHORIZED"
	RuleIPRelaxed      = "DIFF-IP-RELAXED"
	RuleRefreshLonger  = "DIFF-REFRESH-LONGER"
)

// accessRisks flags the changes that widen what an OAuth app's token can
// do, who can get one, from where and for how long, and notes the changes
// an upgrade does not carry to subscribers who installed already.
func (r *Result) accessRisks(olds, news []*inspect.Component) {
	oldBy := map[string]*inspect.Component{}
	for _, c := range olds {
		oldBy[c.Key()] = c
	}
	for _, n := range news {
		o := oldBy[n.Key()]
		switch n.Type {
		case "ExtlClntAppOauthSettings":
			r.scopesAdded(o, n, "commaSeparatedOauthScopes", func(c *inspect.Component) []string { return splitScopes(text(c, "commaSeparatedOauthScopes")) })
			r.rangesRemoved(o, n, "trustedIpRanges")
		case "ConnectedApp":
			r.scopesAdded(o, n, "oauthConfig/scopes", func(c *inspect.Component) []string { return c.Texts("oauthConfig/scopes") })
			r.rangesRemoved(o, n, "ipRanges")
			if o != nil && text(o, "oauthConfig/isAdminApproved") == "true" && n.Elem("oauthConfig") != nil && text(n, "oauthConfig/isAdminApproved") != "true" {
				r.selfAuthorized(n, "oauthConfig/isAdminApproved", "set oauthConfig/isAdminApproved back to true")
			}
			r.ipRelaxed(o, n, "oauthPolicy/ipRelaxation")
			r.refreshLonger(o, n, "oauthPolicy/refreshTokenPolicy", "", "")
		case "ExtlClntAppOauthConfigurablePolicies":
			if o != nil && text(o, "permittedUsersPolicyType") != "AllSelfAuthorized" && text(n, "permittedUsersPolicyType") == "AllSelfAuthorized" {
				r.selfAuthorized(n, "permittedUsersPolicyType", "keep permittedUsersPolicyType AdminApprovedPreAuthorized (app.policies.permittedUsers)")
			}
			r.ipRelaxed(o, n, "ipRelaxationPolicyType")
			r.refreshLonger(o, n, "refreshTokenPolicyType", "refreshTokenValidityPeriod", "refreshTokenValidityUnit")
		}
	}
	r.unreached()
}

func text(c *inspect.Component, p string) string {
	if c == nil {
		return ""
	}
	v, _ := c.Text(p)
	return v
}

func splitScopes(s string) []string {
	var out []string
	for _, it := range strings.Split(s, ",") {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

func (r *Result) add(rule string, severity problem.Severity, c *inspect.Component, elem, fix, format string, args ...any) {
	r.Flags = append(r.Flags, Flag{Rule: rule, Severity: severity, File: c.File, Line: c.Line(c.Elem(elem)), Message: fmt.Sprintf(format, args...), Fix: fix})
}

// scopesAdded flags each scope NEW grants that OLD did not (every scope of
// an app that is new): Full and Api, which reach all the user's data, as
// errors.
func (r *Result) scopesAdded(o, n *inspect.Component, elem string, scopes func(*inspect.Component) []string) {
	var before []string
	if o != nil {
		before = scopes(o)
	}
	app := or(text(n, "externalClientApplication"), n.FullName)
	for _, s := range scopes(n) {
		if slices.Contains(before, s) {
			continue
		}
		severity, why := problem.Warning, "every token the app is issued carries it"
		switch s {
		case "Full":
			severity, why = problem.Error, "Full reaches everything the user can, every other scope included"
		case "Api":
			severity, why = problem.Error, "Api reads and changes all the user's data through the REST and SOAP APIs"
		}
		r.add(RuleScopeAdded, severity, n, elem, "remove "+s+" unless the integration calls what it grants; a reviewer of the package version will ask why",
			"%s gains the OAuth scope %s: %s", app, s, why)
	}
}

func (r *Result) selfAuthorized(n *inspect.Component, elem, fix string) {
	app := or(text(n, "externalClientApplication"), n.FullName)
	r.add(RuleSelfAuthorized, "error", n, elem, fix,
		"%s now lets any user authorize it themselves, where only admin-approved, pre-authorized users could", app)
}

// ipRank orders the IP relaxation values from strictest to loosest, in
// both spellings (external client app policies, connected app oauthPolicy).
func ipRank(v string) int {
	switch strings.ToUpper(strings.ReplaceAll(v, "_", "")) {
	case "ENFORCE":
		return 0
	case "ENFORCERELAXREFRESH":
		return 1
	case "BYPASS2FACTOR", "BYPASS2FA":
		return 2
	case "BYPASS":
		return 3
	}
	return -1
}

func (r *Result) ipRelaxed(o, n *inspect.Component, elem string) {
	if o == nil {
		return
	}
	// Absent is Salesforce's default, Enforce.
	ov, nv := or(text(o, elem), "Enforce"), or(text(n, elem), "Enforce")
	if ipRank(ov) >= 0 && ipRank(nv) > ipRank(ov) {
		r.add(RuleIPRelaxed, "warning", n, elem, "keep "+ov+"; add the partner's egress ranges as trusted IP ranges if its servers need them",
			"%s relaxes IP restrictions from %s to %s: a token works from more networks", or(text(n, "externalClientApplication"), n.FullName), ov, nv)
	}
}

func (r *Result) rangesRemoved(o, n *inspect.Component, elem string) {
	if o == nil {
		return
	}
	count := func(c *inspect.Component) int { return len(c.Root.SelectElements(elem)) }
	if before, after := count(o), count(n); after < before {
		r.add(RuleIPRelaxed, "warning", n, "", "keep every range the partner's servers still use",
			"%s drops %d of its %d trusted IP ranges (%s): a login is accepted from addresses it refused", or(text(n, "externalClientApplication"), n.FullName), before-after, before, elem)
	}
}

// refreshLife is how long a refresh token lives under a policy, in hours;
// -1 forever, -2 unknown. Connected apps write specific_lifetime:90:DAYS.
func refreshLife(policy, period, unit string) int {
	p := strings.ToLower(policy)
	if strings.HasPrefix(p, "specific_lifetime:") || strings.HasPrefix(p, "specific_inactivity:") {
		parts := strings.Split(p, ":")
		if len(parts) == 3 {
			period, unit = parts[1], parts[2]
		}
		p = "specific"
	}
	switch p {
	case "infinite":
		return -1
	case "zero", "immediately":
		return 0
	case "specificlifetime", "specificinactivity", "specific":
		n, err := strconv.Atoi(period)
		if err != nil {
			return -2
		}
		switch strings.ToLower(unit) {
		case "hours":
			return n
		case "days", "":
			return n * 24
		case "months":
			return n * 24 * 30
		}
	}
	return -2
}

func (r *Result) refreshLonger(o, n *inspect.Component, elem, periodElem, unitElem string) {
	if o == nil {
		return
	}
	life := func(c *inspect.Component) (int, string) {
		pol := or(text(c, elem), "Infinite")
		h := refreshLife(pol, text(c, periodElem), text(c, unitElem))
		desc := pol
		if periodElem != "" && text(c, periodElem) != "" && h > 0 {
			desc += " " + text(c, periodElem) + " " + text(c, unitElem)
		}
		return h, desc
	}
	oh, od := life(o)
	nh, nd := life(n)
	longer := oh >= 0 && (nh == -1 || nh > oh)
	if oh == -2 || nh == -2 || !longer {
		return
	}
	r.add(RuleRefreshLonger, "warning", n, elem, "keep the shorter lifetime unless the integration needs the longer one",
		"%s makes refresh tokens live longer (%s, was %s): a leaked one grants access for longer", or(text(n, "externalClientApplication"), n.FullName), nd, od)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// unreached says, for each changed component, whether subscribers who
// installed an earlier version get the change by upgrading (Help, OAuth
// policies configuration; Metadata API reference,
// ExtlClntAppGlobalOauthSettings).
func (r *Result) unreached() {
	for i := range r.Changed {
		c := &r.Changed[i]
		c.Subscribers = subscribers(c.Type, c.Outside)
		if c.Subscribers != "" {
			r.Notes = append(r.Notes, c.String()+": "+c.Subscribers)
		}
	}
}

// subscribers is what an upgrade does with a change to a component of typ
// for subscribers who installed already ("": the upgrade carries it).
func subscribers(typ string, outside bool) string {
	switch {
	case typ == "ExtlClntAppGlobalOauthSettings":
		return "not part of any package version: it changes for every subscriber at once when deployed to the org that owns the app (the Dev Hub), not by upgrading"
	case strings.HasPrefix(typ, "ExtlClntApp") && strings.HasSuffix(typ, "ConfigurablePolicies"):
		return "does not reach subscribers who installed already: a subscriber org gets the policies at install and keeps them (its admin's changes persist); tell their admins to change it in Setup"
	case outside:
		return "outside the package: subscribers never receive it; deploy it to the org that owns the app"
	}
	return ""
}
