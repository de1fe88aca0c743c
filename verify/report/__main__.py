try:  # Ctrl-C while the libraries load: exit 130 like any later interrupt
    from verify.report import main
except KeyboardInterrupt:
    raise SystemExit(130) from None

raise SystemExit(main())
