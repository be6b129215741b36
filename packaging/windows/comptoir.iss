; Inno Setup 6 script: the Windows installer of Comptoir, from the one-folder app PyInstaller built.
; Run by `python build_installer.py` on Windows (it finds ISCC.exe and passes the defines below), or
; by hand:  iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\comptoir /DOutputDir=..\..\dist comptoir.iss
; See README.md beside this file.

#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z (build_installer.py does)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\comptoir"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; A fixed AppId: an update installs over the previous version instead of beside it.
AppId={{6F1C2B7E-3D7A-4C61-9A0B-C0B1D2E3F4A5}
AppName=Comptoir
AppVersion={#AppVersion}
AppVerName=Comptoir {#AppVersion}
AppPublisher=Comptoir
DefaultDirName={autopf}\Comptoir
DefaultGroupName=Comptoir
DisableProgramGroupPage=yes
; Per machine (every pharmacist's session), 64-bit only: the wheels inside are x64.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=comptoir-{#AppVersion}-setup
SetupIconFile=..\icons\comptoir.ico
UninstallDisplayIcon={app}\comptoir.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole folder: comptoir.exe (the window), comptoir-cli.exe (the console commands) and _internal\.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Comptoir"; Filename: "{app}\comptoir.exe"
Name: "{group}\{cm:UninstallProgram,Comptoir}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Comptoir"; Filename: "{app}\comptoir.exe"; Tasks: desktopicon

[Run]
; The installation checks itself before the first start (offscreen, no network, nothing of the user's).
Filename: "{app}\comptoir-cli.exe"; Parameters: "--self-test"; StatusMsg: "Vérification de l'installation…"; Flags: runhidden waituntilterminated
Filename: "{app}\comptoir.exe"; Description: "{cm:LaunchProgram,Comptoir}"; Flags: nowait postinstall skipifsilent
