from verify.report import main

raise SystemExit(main())
