package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/escape"
	"github.com/byocpack/byocpack/generator/explain"
	"github.com/byocpack/byocpack/generator/oauth"
)

// TokenOptions are the inputs of token.
type TokenOptions struct {
	IO IO
	assertionFlags
	LoginURL  string
	ShowToken bool
	Timeout   time.Duration
	JSON      bool
}

// NewCmdToken asks Salesforce for an access token with the JWT bearer flow.
func NewCmdToken(io IO, runF func(*TokenOptions) error) *cobra.Command {
	opts := &TokenOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Prove the JWT bearer flow: sign an assertion and ask Salesforce for a token",
		Long: `Sign a JWT bearer assertion (as byocpack jwt does) and POST it to
<login-url>/services/oauth2/token with
grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer. On success it reports
instance_url, the token type and the scopes; the access token is a secret and
is printed only with --show-token. On an OAuth error it says what Salesforce
means and what to fix (the table of byocpack explain).

The audience defaults to the login URL, as the BYOC guide says ("the login
URL for the Salesforce org"). Salesforce's OAuth guide names
https://login.salesforce.com, https://test.salesforce.com or an Experience
Cloud site URL: with a My Domain login URL, pass --audience
https://login.salesforce.com (or test) if the answer is "audience is invalid".

HTTPS only (plain http only to a loopback test server); redirects are not
followed; the request gives up after --timeout.`,
		Example: `  byocpack token --key ../acme-server.key --client-id 3MVG9... --user integration@acme.example
  byocpack token --key ../acme-server.key --client-id 3MVG9... --user ops@acme.example.dev --login-url https://test.salesforce.com`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			login, err := cred.CheckLoginURL(opts.LoginURL)
			if err != nil {
				return usageErrorf("--login-url: %v", err)
			}
			if opts.Audience == "" {
				opts.Audience = login.String()
			}
			if err := opts.check(); err != nil {
				return err
			}
			if opts.Timeout <= 0 || opts.Timeout > oauth.MaxTimeout {
				return usageErrorf("--timeout %s: use more than 0 and at most %s", opts.Timeout, oauth.MaxTimeout)
			}
			if runF != nil {
				return runF(opts)
			}
			return runToken(cmd, opts)
		},
	}
	opts.register(cmd.Flags(), "the audience (default: the login URL)")
	cmd.Flags().StringVar(&opts.LoginURL, "login-url", cred.ProductionLoginURL, "login URL: https://login.salesforce.com, https://test.salesforce.com, a My Domain or an Experience Cloud site URL")
	cmd.Flags().BoolVar(&opts.ShowToken, "show-token", false, "print the access token (a secret: it acts as the user)")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", oauth.DefaultTimeout, "give up on the request after this long")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

type tokenOutput struct {
	OK          bool          `json:"ok"`
	LoginURL    string        `json:"loginUrl"`
	Claims      cred.Claims   `json:"claims"`
	Token       *oauth.Token  `json:"token,omitempty"`
	AccessToken string        `json:"accessToken,omitempty"`
	Error       *oauth.Error  `json:"error,omitempty"`
	Notes       []explainNote `json:"notes,omitempty"`
}

// explainNote is an explain entry as token and doctor print it.
type explainNote struct {
	ID    string `json:"id"`
	Cause string `json:"cause"`
	Fix   string `json:"fix"`
}

func noteOf(e explain.Entry) explainNote { return explainNote{ID: e.ID, Cause: e.Cause, Fix: e.Fix} }

func runToken(cmd *cobra.Command, opts *TokenOptions) error {
	login, err := cred.CheckLoginURL(opts.LoginURL)
	if err != nil {
		return err
	}
	assertion, claims, err := opts.sign(time.Now(), opts.IO.Err)
	if err != nil {
		return err
	}
	if login.Kind == cred.HostUnknown {
		fmt.Fprintf(opts.IO.Err, "note: %s is not a known Salesforce host form (login, test, *.my.salesforce.com, an Experience Cloud site); sending the assertion there anyway\n", login)
	}
	out := tokenOutput{LoginURL: login.String(), Claims: claims}
	tok, err := oauth.Exchange(cmd.Context(), oauth.Request{LoginURL: login.String(), Assertion: assertion, Timeout: opts.Timeout})
	var oe *oauth.Error
	switch {
	case errors.As(err, &oe):
		out.Error = oe
		for _, e := range oe.Known {
			out.Notes = append(out.Notes, noteOf(e))
		}
	case err != nil:
		return err
	default:
		out.OK, out.Token = true, tok
		if opts.ShowToken {
			out.AccessToken = tok.AccessToken
		}
		// A token without interaction_api is refused by every Interaction
		// Service call (10003): the flow is not proved.
		if !tok.HasScope("interaction_api") {
			out.OK = false
			if e, ok := explain.Lookup("10003"); ok {
				out.Notes = append(out.Notes, noteOf(e))
			}
		}
	}
	if opts.JSON {
		status, code := statusOK, exitOK
		if !out.OK {
			status, code = statusRefused, exitInvalid
		}
		if err := emit(opts.IO.Out, "token", status, code, out, nil); err != nil {
			return err
		}
	} else {
		printToken(opts, out)
	}
	if !out.OK {
		return &exitError{exitInvalid}
	}
	return nil
}

func printToken(opts *TokenOptions, out tokenOutput) {
	w := opts.IO.Out
	if out.Error != nil {
		// The error quotes the server's answer (error_description): one
		// line, escaped, whatever the server sent.
		fmt.Fprintf(opts.IO.Err, "error: %s\n", escape.Line(out.Error.Error()))
		fmt.Fprintf(opts.IO.Err, "  sent: iss=%s sub=%s aud=%s exp=%d to %s%s\n", escape.Line(out.Claims.Issuer), escape.Line(out.Claims.Subject), escape.Line(out.Claims.Audience), out.Claims.Expires, escape.Line(out.LoginURL), oauth.TokenPath)
		if len(out.Notes) == 0 {
			fmt.Fprintf(opts.IO.Err, "  byocpack does not know this answer; see docs/errors.md\n")
		}
		printNotes(opts.IO.Err, out.Notes)
		return
	}
	t := out.Token
	fmt.Fprintf(w, "token issued by %s for %s\n", escape.Line(out.LoginURL), escape.Line(out.Claims.Subject))
	fmt.Fprintf(w, "  instance_url  %s\n", escape.Line(t.InstanceURL))
	fmt.Fprintf(w, "  token_type    %s\n", escape.Line(t.TokenType))
	fmt.Fprintf(w, "  scopes        %s\n", escape.Line(strings.Join(t.Scopes, " ")))
	if opts.ShowToken {
		fmt.Fprintf(w, "  access_token  %s\n", escape.Line(t.AccessToken))
	} else {
		fmt.Fprintf(w, "  access_token  (hidden: it acts as the user; --show-token prints it)\n")
	}
	if !out.OK {
		fmt.Fprintf(opts.IO.Err, "error: the token lacks the interaction_api scope; every Interaction Service call fails with 10003\n")
		printNotes(opts.IO.Err, out.Notes)
	}
}

func printNotes(w interface{ Write([]byte) (int, error) }, notes []explainNote) {
	for _, n := range notes {
		fmt.Fprintf(w, "  cause: %s\n  fix:   %s\n  (byocpack explain %s)\n", n.Cause, n.Fix, n.ID)
	}
}
