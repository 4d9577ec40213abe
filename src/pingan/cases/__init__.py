"""打击 cases: 110 calls and their disposition, the criminal and public-order case register with its legal
clocks, the people on a case, fugitives, seized goods with their custody chain, telecom-fraud reports that
feed 警银通, task forces, and the clearance figures the branch reports."""
