package validate

import (
	"strconv"

	"byocpack/internal/diag"
)

// window is the API-version range in which a top-level element exists;
// 0 means open-ended. fix tells the user what to write instead.
type window struct {
	min, max float64
	fix      string
}

// fieldWindows lists the version-gated elements that broke real deploys
// (byoc-anchors §1.4, §4 P7, §7 rule 9; checked against WSDL 62–66).
func fieldWindows() map[string]map[string]window {
	return map[string]map[string]window{
		typeCCD: {
			"customEventChnlAddrIdField":      {0, 60, "remove it and use customEventTypeField with customEventPayloadField"},
			"customEventRecipientField":       {0, 60, "remove it and use customEventTypeField with customEventPayloadField"},
			"customIcon":                      {61, 0, "remove it or raise sourceApiVersion"},
			"supportsCustomChannelParameters": {61, 0, "remove it or raise sourceApiVersion"},
			"connectedAppType":                {62, 0, "remove it (Partner is the default) or raise sourceApiVersion to 62.0"},
			"customerConnectedAppOauthLink":   {62, 0, "remove it"},
			"isInboundReceiptsEnabled":        {63, 65, "use isInboundAcknwOptionExposed (65.0+)"},
			"isTypingIndicatorDisabled":       {63, 65, "use isTypingIndicatorOptionHidden (65.0+)"},
			"isRoutingWorkResultEnabled":      {64, 65, "use isRoutingWorkResultSupported (65.0+)"},
			"isConferenceSupported":           {64, 0, "remove it or raise sourceApiVersion to 64.0"},
			"maxParticipantsForCnfrOverride":  {64, 0, "remove it or raise sourceApiVersion to 64.0"},
			"isInboundAcknwOptionExposed":     {65, 0, "use isInboundReceiptsEnabled (63.0–65.0) or raise sourceApiVersion"},
			"isProgressIndicatorOptExposed":   {65, 0, "remove it or raise sourceApiVersion to 65.0"},
			"isRoutingWorkResultSupported":    {65, 0, "use isRoutingWorkResultEnabled (64.0–65.0) or raise sourceApiVersion"},
			"isTypingIndicatorOptionHidden":   {65, 0, "use isTypingIndicatorDisabled (63.0–65.0) or raise sourceApiVersion"},
		},
		typeOauthPolicies: {
			"isNamedUserJwtEnabled": {61, 63, "remove it and set isNamedUserJwtEnabled in ExtlClntAppGlobalOauthSettings"},
		},
		typeGlobalOauth: {
			"certificate":           {60, 0, "raise sourceApiVersion to 60.0 or upload the certificate in Setup"},
			"isNamedUserJwtEnabled": {61, 0, "raise sourceApiVersion to 61.0 or set it in Setup"},
		},
	}
}

// typeMinVersions is the first documented API version of each type.
func typeMinVersions() map[string]float64 {
	return map[string]float64{
		typeCCD: 60, typeECA: 59, typeOauthSettings: 59, typeGlobalOauth: 59,
		typeOauthPolicies: 59, typePolicies: 60,
	}
}

func fmtVersion(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func (r *run) versionWindows(d doc) []diag.Problem {
	v, err := strconv.ParseFloat(r.in.APIVersion, 64)
	if err != nil || v <= 0 {
		return nil // no version to judge against; the spec check reports a bad one
	}
	var ps []diag.Problem
	if m, ok := typeMinVersions()[d.Type]; ok && v < m {
		ps = append(ps, r.problem(RuleAPIVersionField, d.File, d.Root,
			"%s exists from API %s but sourceApiVersion is %s; raise sourceApiVersion", d.Type, fmtVersion(m), r.in.APIVersion))
	}
	windows := fieldWindows()[d.Type]
	for _, c := range d.Root.Children {
		w, ok := windows[c.Name]
		if !ok {
			continue
		}
		var span string
		switch {
		case w.min > 0 && v < w.min:
			span = "exists from API " + fmtVersion(w.min)
		case w.max > 0 && v > w.max:
			span = "was removed in API " + fmtVersion(w.max+1)
		default:
			continue
		}
		ps = append(ps, r.problem(RuleAPIVersionField, d.File, c,
			"%s %s but sourceApiVersion is %s; %s", c.Name, span, r.in.APIVersion, w.fix))
	}
	return ps
}
