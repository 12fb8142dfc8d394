package cli

import (
	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator/spec"
)

// SchemaOptions are the inputs of schema.
type SchemaOptions struct {
	IO   IO
	JSON bool
}

// NewCmdSchema prints the JSON Schema of byoc.yaml.
func NewCmdSchema(io IO, runF func(*SchemaOptions) error) *cobra.Command {
	opts := &SchemaOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of byoc.yaml, for editors",
		Long: `Print the JSON Schema (draft 2020-12) of byoc.yaml. It is generated from the
same field definitions the loader uses, so an editor with a YAML language
server completes and checks exactly the keys byocpack accepts. byocpack init
writes it beside the spec and points the spec at it.`,
		Example: "  byocpack schema > byoc.schema.json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			if opts.JSON {
				return emit(opts.IO.Out, "schema", statusOK, exitOK, schemaResult{Schema: spec.JSONSchema()}, nil)
			}
			_, err := opts.IO.Out.Write(spec.JSONSchema())
			return err
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the schema inside the JSON envelope (result.schema)")
	return cmd
}
